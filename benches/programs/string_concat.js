// Build a 200,000-character string with repeated `s = s + "x"`; must not be quadratic.
function main() {
    let s = "";
    let i = 0;
    while (i < 200000) {
        s = s + "x";
        i += 1;
    }
    console.log(s.length);
}

main();
