// JSON-like data walking: build a nested company document (objects, arrays, strings,
// ints, bools), walk it generically by value type, serialize it to JSON text, and
// run a few aggregate queries over it. Keys are never integer-like, so plain objects
// keep insertion order.

const MOD = 1000000007;
const CITIES = ["oslo", "lima", "pune", "kyiv", "nice"];
const SKILLS = ["rust", "lua", "sql", "ops", "ml", "web", "qa"];

function nextRand(seed) {
    // Park-Miller minimal standard generator; products stay below 2^53.
    return (seed * 16807) % 2147483647;
}

function build(box, ndepts, nteams, nmembers) {
    const depts = [];
    let empId = 0;
    let d = 0;
    while (d < ndepts) {
        const teams = [];
        let t = 0;
        while (t < nteams) {
            const members = [];
            let m = 0;
            while (m < nmembers) {
                box[0] = nextRand(box[0]);
                const r = box[0];
                const tags = [];
                const ntags = 1 + (r % 3);
                let j = 0;
                while (j < ntags) {
                    tags.push(SKILLS[Math.trunc(r / (j + 1)) % 7]);
                    j += 1;
                }
                members.push({
                    id: empId,
                    name: "emp" + String(empId),
                    salary: 30000 + (r % 90000),
                    active: r % 5 !== 0,
                    tags: tags,
                    address: { city: CITIES[Math.trunc(r / 7) % 5], zip: r % 100000 },
                });
                empId += 1;
                m += 1;
            }
            teams.push({ name: "team" + String(d) + "_" + String(t), members: members });
            t += 1;
        }
        depts.push({ name: "dept" + String(d), budget: 1000000 + d * 1000, teams: teams });
        d += 1;
    }
    return { company: "acme", founded: 1999, public: false, departments: depts };
}

function kind(v) {
    if (typeof v === "boolean") return "bool";
    if (typeof v === "number") return "int";
    if (typeof v === "string") return "string";
    if (Array.isArray(v)) return "array";
    if (v !== null && typeof v === "object") return "dict";
    return "null";
}

function walk(node, stats) {
    const k = kind(node);
    if (k === "dict") {
        stats["dicts"] += 1;
        for (const key in node) {
            stats["keys"] += 1;
            walk(node[key], stats);
        }
    } else if (k === "array") {
        stats["arrays"] += 1;
        for (const x of node) {
            walk(x, stats);
        }
    } else if (k === "string") {
        stats["strings"] += 1;
        stats["chars"] += node.length;
    } else if (k === "int") {
        stats["ints"] += 1;
        stats["int_sum"] = (stats["int_sum"] + node) % MOD;
    } else if (k === "bool") {
        stats["bools"] += 1;
        if (node) {
            stats["trues"] += 1;
        }
    }
}

function toJson(node) {
    const k = kind(node);
    if (k === "dict") {
        let s = "{";
        let first = true;
        for (const key in node) {
            if (!first) {
                s = s + ",";
            }
            first = false;
            const piece = "\"" + key + "\":" + toJson(node[key]);
            s = s + piece;
        }
        return s + "}";
    }
    if (k === "array") {
        let s = "[";
        let first = true;
        for (const x of node) {
            if (!first) {
                s = s + ",";
            }
            first = false;
            const piece = toJson(x);
            s = s + piece;
        }
        return s + "]";
    }
    if (k === "string") {
        return "\"" + node + "\"";
    }
    if (k === "int") {
        return String(node);
    }
    if (k === "bool") {
        if (node) {
            return "true";
        }
        return "false";
    }
    return "null";
}

function main() {
    const box = [777];
    const doc = build(box, 150, 8, 16);

    const stats = { dicts: 0, arrays: 0, strings: 0, ints: 0, bools: 0,
                    trues: 0, keys: 0, chars: 0, int_sum: 0 };
    walk(doc, stats);
    for (const name in stats) {
        console.log(name, stats[name]);
    }

    const text = toJson(doc);
    console.log("json_length", text.length);
    let h = 0;
    for (const c of text) {
        h = (h * 31 + c.charCodeAt(0)) % MOD;
    }
    console.log("json_hash", h);

    // Queries: active headcount and salary per city; the best-paid department.
    const cityCount = {};
    const cityTotal = {};
    for (const c of CITIES) {
        cityCount[c] = 0;
        cityTotal[c] = 0;
    }
    let bestDept = "";
    let bestTotal = -1;
    for (const dept of doc["departments"]) {
        let deptTotal = 0;
        for (const team of dept["teams"]) {
            for (const emp of team["members"]) {
                if (emp["active"]) {
                    const city = emp["address"]["city"];
                    cityCount[city] += 1;
                    cityTotal[city] += emp["salary"];
                    deptTotal += emp["salary"];
                }
            }
        }
        if (deptTotal > bestTotal) {
            bestTotal = deptTotal;
            bestDept = dept["name"];
        }
    }
    for (const c of CITIES) {
        console.log(c, cityCount[c], Math.trunc(cityTotal[c] / cityCount[c]));
    }
    console.log("best", bestDept, bestTotal);
}

main();
