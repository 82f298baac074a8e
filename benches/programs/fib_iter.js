// Iterative Fibonacci (the `a, b = b, a + b` loop), called 20,000 times.
function fibIter(n) {
    let a = 0;
    let b = 1;
    let i = 0;
    while (i < n) {
        const t = a + b;
        a = b;
        b = t;
        i += 1;
    }
    return a;
}

function main() {
    let result = 0;
    let k = 0;
    while (k < 20000) {
        result = fibIter(70);
        k += 1;
    }
    console.log(result);
}

main();
