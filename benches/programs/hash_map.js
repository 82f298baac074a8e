// Fill a dict with 200,000 int keys (m[i] = i * 2), then sum m[i] over the same keys.
// A Map is JavaScript's general-purpose hash map (a plain object would use array storage).
function main() {
    const m = new Map();
    let i = 0;
    while (i < 200000) {
        m.set(i, i * 2);
        i += 1;
    }
    let total = 0;
    i = 0;
    while (i < 200000) {
        total += m.get(i);
        i += 1;
    }
    console.log(total);
}

main();
