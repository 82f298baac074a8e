// 3000 x 3000 nested `while` loops counting iterations.
function nested(n) {
    let count = 0;
    let i = 0;
    while (i < n) {
        let j = 0;
        while (j < n) {
            count += 1;
            j += 1;
        }
        i += 1;
    }
    return count;
}

console.log(nested(3000));
