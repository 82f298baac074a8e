# JSON-like data walking: build a nested company document (dicts, arrays, strings,
# ints, bools), walk it generically by value type, serialize it to JSON text, and
# run a few aggregate queries over it.

MOD = 1000000007
CITIES = ["oslo", "lima", "pune", "kyiv", "nice"]
SKILLS = ["rust", "lua", "sql", "ops", "ml", "web", "qa"]


def next_rand(seed):
    # Park-Miller minimal standard generator; products stay below 2^53.
    return (seed * 16807) % 2147483647


def build(box, ndepts, nteams, nmembers):
    depts = []
    emp_id = 0
    d = 0
    while d < ndepts:
        teams = []
        t = 0
        while t < nteams:
            members = []
            m = 0
            while m < nmembers:
                box[0] = next_rand(box[0])
                r = box[0]
                tags = []
                ntags = 1 + r % 3
                j = 0
                while j < ntags:
                    tags.append(SKILLS[(r // (j + 1)) % 7])
                    j += 1
                members.append({
                    "id": emp_id,
                    "name": "emp" + str(emp_id),
                    "salary": 30000 + r % 90000,
                    "active": r % 5 != 0,
                    "tags": tags,
                    "address": {"city": CITIES[(r // 7) % 5], "zip": r % 100000},
                })
                emp_id += 1
                m += 1
            teams.append({"name": "team" + str(d) + "_" + str(t), "members": members})
            t += 1
        depts.append({"name": "dept" + str(d), "budget": 1000000 + d * 1000, "teams": teams})
        d += 1
    return {"company": "acme", "founded": 1999, "public": False, "departments": depts}


def kind(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "dict"
    return "null"


def walk(node, stats):
    k = kind(node)
    if k == "dict":
        stats["dicts"] += 1
        for key in node:
            stats["keys"] += 1
            walk(node[key], stats)
    elif k == "array":
        stats["arrays"] += 1
        for x in node:
            walk(x, stats)
    elif k == "string":
        stats["strings"] += 1
        stats["chars"] += len(node)
    elif k == "int":
        stats["ints"] += 1
        stats["int_sum"] = (stats["int_sum"] + node) % MOD
    elif k == "bool":
        stats["bools"] += 1
        if node:
            stats["trues"] += 1


def to_json(node):
    k = kind(node)
    if k == "dict":
        s = "{"
        first = True
        for key in node:
            if not first:
                s = s + ","
            first = False
            piece = "\"" + key + "\":" + to_json(node[key])
            s = s + piece
        return s + "}"
    if k == "array":
        s = "["
        first = True
        for x in node:
            if not first:
                s = s + ","
            first = False
            piece = to_json(x)
            s = s + piece
        return s + "]"
    if k == "string":
        return "\"" + node + "\""
    if k == "int":
        return str(node)
    if k == "bool":
        if node:
            return "true"
        return "false"
    return "null"


def main():
    box = [777]
    doc = build(box, 150, 8, 16)

    stats = {"dicts": 0, "arrays": 0, "strings": 0, "ints": 0, "bools": 0,
             "trues": 0, "keys": 0, "chars": 0, "int_sum": 0}
    walk(doc, stats)
    for name in stats:
        print(name, stats[name])

    text = to_json(doc)
    print("json_length", len(text))
    h = 0
    for c in text:
        h = (h * 31 + ord(c)) % MOD
    print("json_hash", h)

    # Queries: active headcount and salary per city; the best-paid department.
    city_count = {}
    city_total = {}
    for c in CITIES:
        city_count[c] = 0
        city_total[c] = 0
    best_dept = ""
    best_total = -1
    for dept in doc["departments"]:
        dept_total = 0
        for team in dept["teams"]:
            for emp in team["members"]:
                if emp["active"]:
                    city = emp["address"]["city"]
                    city_count[city] += 1
                    city_total[city] += emp["salary"]
                    dept_total += emp["salary"]
        if dept_total > best_total:
            best_total = dept_total
            best_dept = dept["name"]
    for c in CITIES:
        print(c, city_count[c], city_total[c] // city_count[c])
    print("best", best_dept, best_total)


main()
