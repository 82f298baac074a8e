// Sort 40,000 records (objects) with a user-written bottom-up merge sort and a
// three-key comparator function, then check the order and print a checksum.

function nextRand(seed) {
    // Park-Miller minimal standard generator; products stay below 2^53.
    return (seed * 16807) % 2147483647;
}

function before(a, b) {
    // Age ascending, then score descending, then id ascending.
    if (a["age"] !== b["age"]) {
        return a["age"] < b["age"];
    }
    if (a["score"] !== b["score"]) {
        return a["score"] > b["score"];
    }
    return a["id"] < b["id"];
}

function mergeSort(items, less) {
    const n = items.length;
    let src = [];
    let dst = [];
    for (const x of items) {
        src.push(x);
        dst.push(x);
    }
    let width = 1;
    while (width < n) {
        let lo = 0;
        while (lo < n) {
            let mid = lo + width;
            if (mid > n) {
                mid = n;
            }
            let hi = lo + 2 * width;
            if (hi > n) {
                hi = n;
            }
            let i = lo;
            let j = mid;
            let k = lo;
            while (k < hi) {
                if (i < mid && (j >= hi || !less(src[j], src[i]))) {
                    dst[k] = src[i];
                    i += 1;
                } else {
                    dst[k] = src[j];
                    j += 1;
                }
                k += 1;
            }
            lo = hi;
        }
        const tmp = src;
        src = dst;
        dst = tmp;
        width = width * 2;
    }
    return src;
}

function main() {
    const names = ["ada", "bob", "cy", "dee", "eve", "fay", "gus", "hal"];
    const records = [];
    let seed = 4242;
    let i = 0;
    while (i < 40000) {
        seed = nextRand(seed);
        const age = seed % 90;
        seed = nextRand(seed);
        const score = seed % 1000;
        records.push({ id: i, age: age, score: score, name: names[i % 8] });
        i += 1;
    }

    const ordered = mergeSort(records, before);

    let bad = 0;
    i = 1;
    while (i < ordered.length) {
        if (before(ordered[i], ordered[i - 1])) {
            bad += 1;
        }
        i += 1;
    }

    let checksum = 0;
    i = 0;
    while (i < ordered.length) {
        checksum = (checksum * 31 + ordered[i]["id"]) % 1000000007;
        i += 1;
    }

    console.log("records", ordered.length);
    console.log("out_of_order", bad);
    console.log("first", ordered[0]["id"], ordered[0]["age"], ordered[0]["score"], ordered[0]["name"]);
    const last = ordered[ordered.length - 1];
    console.log("last", last["id"], last["age"], last["score"], last["name"]);
    console.log("checksum", checksum);
}

main();
