// Push 1,000,000 ints onto an array, then sum them with `for x in arr`.
function main() {
    const arr = [];
    let i = 0;
    while (i < 1000000) {
        arr.push(i);
        i += 1;
    }
    let total = 0;
    for (const x of arr) {
        total += x;
    }
    console.log(total);
}

main();
