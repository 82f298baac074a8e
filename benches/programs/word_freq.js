// Word frequency: generate 50,000 lines of pseudo-random text, split each line into
// words, count them in a Map, then report the totals and the ten most frequent words.

const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "po", "qua", "ish"];

function nextRand(seed) {
    // Park-Miller minimal standard generator; products stay below 2^53.
    return (seed * 16807) % 2147483647;
}

function makeWord(r) {
    const n = SYLLABLES.length;
    let word = SYLLABLES[r % n];
    word = word + SYLLABLES[Math.trunc(r / n) % n];
    if (r % 3 === 0) {
        word = word + SYLLABLES[Math.trunc(r / (n * n)) % n];
    }
    return word;
}

function makeLine(seedBox, nwords) {
    let line = "";
    let k = 0;
    while (k < nwords) {
        seedBox[0] = nextRand(seedBox[0]);
        // Skew towards small ranks so some words are much more common than others.
        let r = seedBox[0] % 5000;
        if (seedBox[0] % 4 === 0) {
            r = r % 60;
        }
        const w = makeWord(r);
        if (k === 0) {
            line = w;
        } else {
            line = line + " " + w;
        }
        k += 1;
    }
    return line;
}

function main() {
    const seedBox = [12345];
    const counts = new Map();
    let totalWords = 0;
    let totalChars = 0;
    let longest = "";
    const nlines = 50000;
    let i = 0;
    while (i < nlines) {
        const line = makeLine(seedBox, 8 + (i % 9));
        totalChars += line.length;
        for (const w of line.split(" ")) {
            totalWords += 1;
            if (counts.has(w)) {
                counts.set(w, counts.get(w) + 1);
            } else {
                counts.set(w, 1);
            }
            if (w.length > longest.length || (w.length === longest.length && w < longest)) {
                longest = w;
            }
        }
        i += 1;
    }

    // Order-sensitive checksum over the map's insertion order.
    let checksum = 0;
    let pos = 1;
    for (const w of counts.keys()) {
        checksum = (checksum + counts.get(w) * pos) % 1000000007;
        pos += 1;
    }

    console.log("lines", nlines);
    console.log("words", totalWords);
    console.log("chars", totalChars);
    console.log("distinct", counts.size);
    console.log("longest", longest);
    console.log("checksum", checksum);

    // Top ten by count (descending), ties broken by the word (ascending).
    const chosen = new Map();
    let rank = 1;
    while (rank <= 10) {
        let best = "";
        let bestCount = -1;
        for (const w of counts.keys()) {
            if (!chosen.has(w)) {
                const c = counts.get(w);
                if (c > bestCount || (c === bestCount && w < best)) {
                    best = w;
                    bestCount = c;
                }
            }
        }
        chosen.set(best, true);
        console.log(rank, best, bestCount);
        rank += 1;
    }
}

main();
