// A small interpreter: generate random arithmetic expressions as source text, tokenize
// them, parse them into trees with a recursive-descent parser, and evaluate each tree
// under several variable environments. All arithmetic is reduced modulo a prime.

const M = 1000003;
const OPS = ["+", "-", "*"];
const VARS = ["x", "y", "z"];

function nextRand(seed) {
    // Park-Miller minimal standard generator; products stay below 2^53.
    return (seed * 16807) % 2147483647;
}

function wrap(v) {
    let r = v % M;
    if (r < 0) {
        r = r + M;
    }
    return r;
}

function gen(box, depth) {
    box[0] = nextRand(box[0]);
    const r = box[0];
    if (depth === 0 || r % 4 === 0) {
        if (r % 5 === 0) {
            return VARS[Math.trunc(r / 5) % 3];
        }
        return String(r % 1000);
    }
    const op = OPS[Math.trunc(r / 4) % 3];
    let sp = "";
    if (r % 7 < 3) {
        sp = " ";
    }
    const left = gen(box, depth - 1);
    const right = gen(box, depth - 1);
    return "(" + left + sp + op + sp + right + ")";
}

function tokenize(src) {
    const toks = [];
    const cs = src.split("");
    const n = cs.length;
    let i = 0;
    while (i < n) {
        const c = cs[i];
        if (c === " ") {
            i += 1;
        } else if (c >= "0" && c <= "9") {
            let v = 0;
            while (i < n && cs[i] >= "0" && cs[i] <= "9") {
                v = v * 10 + cs[i].charCodeAt(0) - 48;
                i += 1;
            }
            toks.push({ kind: "num", value: v });
        } else if (c >= "a" && c <= "z") {
            toks.push({ kind: "var", name: c });
            i += 1;
        } else {
            toks.push({ kind: c });
            i += 1;
        }
    }
    return toks;
}

function peek(p) {
    if (p["pos"] < p["toks"].length) {
        return p["toks"][p["pos"]]["kind"];
    }
    return "eof";
}

function parseExpr(p) {
    let left = parseTerm(p);
    let k = peek(p);
    while (k === "+" || k === "-") {
        p["pos"] = p["pos"] + 1;
        const right = parseTerm(p);
        left = { op: k, l: left, r: right };
        k = peek(p);
    }
    return left;
}

function parseTerm(p) {
    let left = parseFactor(p);
    while (peek(p) === "*") {
        p["pos"] = p["pos"] + 1;
        const right = parseFactor(p);
        left = { op: "*", l: left, r: right };
    }
    return left;
}

function parseFactor(p) {
    const tok = p["toks"][p["pos"]];
    p["pos"] = p["pos"] + 1;
    if (tok["kind"] === "num") {
        return { op: "num", v: tok["value"] };
    }
    if (tok["kind"] === "var") {
        return { op: "var", name: tok["name"] };
    }
    // An opening parenthesis: the generator never produces anything else here.
    const e = parseExpr(p);
    p["pos"] = p["pos"] + 1;
    return e;
}

function countNodes(node) {
    if (node["op"] === "num" || node["op"] === "var") {
        return 1;
    }
    return 1 + countNodes(node["l"]) + countNodes(node["r"]);
}

function evaluate(node, env) {
    const op = node["op"];
    if (op === "num") {
        return node["v"];
    }
    if (op === "var") {
        return env[node["name"]];
    }
    const a = evaluate(node["l"], env);
    const b = evaluate(node["r"], env);
    if (op === "+") {
        return wrap(a + b);
    }
    if (op === "-") {
        return wrap(a - b);
    }
    return wrap(a * b);
}

function main() {
    const box = [2024];
    const envs = [{ x: 3, y: 5, z: 7 }, { x: 999, y: 12, z: 0 }, { x: 40, y: 41, z: 42 }];
    let total = 0;
    let ntoks = 0;
    let nnodes = 0;
    let longest = 0;
    let count = 0;
    while (count < 5000) {
        const src = gen(box, 7);
        if (src.length > longest) {
            longest = src.length;
        }
        const toks = tokenize(src);
        ntoks += toks.length;
        const tree = parseExpr({ toks: toks, pos: 0 });
        nnodes += countNodes(tree);
        for (const env of envs) {
            total = wrap(total * 7 + evaluate(tree, env));
        }
        count += 1;
    }
    console.log("expressions", count);
    console.log("tokens", ntoks);
    console.log("nodes", nnodes);
    console.log("longest", longest);
    console.log("result", total);
}

main();
