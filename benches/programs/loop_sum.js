// Sum 0..9,999,999 in a `while` loop inside a function.
function loopSum(n) {
    let total = 0;
    let i = 0;
    while (i < n) {
        total += i;
        i += 1;
    }
    return total;
}

console.log(loopSum(10000000));
