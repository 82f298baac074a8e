# A small interpreter: generate random arithmetic expressions as source text, tokenize
# them, parse them into trees with a recursive-descent parser, and evaluate each tree
# under several variable environments. All arithmetic is reduced modulo a prime.

M = 1000003
OPS = ["+", "-", "*"]
VARS = ["x", "y", "z"]


def next_rand(seed):
    # Park-Miller minimal standard generator; products stay below 2^53.
    return (seed * 16807) % 2147483647


def wrap(v):
    r = v % M
    if r < 0:
        r = r + M
    return r


def gen(box, depth):
    box[0] = next_rand(box[0])
    r = box[0]
    if depth == 0 or r % 4 == 0:
        if r % 5 == 0:
            return VARS[(r // 5) % 3]
        return str(r % 1000)
    op = OPS[(r // 4) % 3]
    sp = ""
    if r % 7 < 3:
        sp = " "
    left = gen(box, depth - 1)
    right = gen(box, depth - 1)
    return "(" + left + sp + op + sp + right + ")"


def tokenize(src):
    toks = []
    cs = list(src)
    n = len(cs)
    i = 0
    while i < n:
        c = cs[i]
        if c == " ":
            i += 1
        elif c >= "0" and c <= "9":
            v = 0
            while i < n and cs[i] >= "0" and cs[i] <= "9":
                v = v * 10 + ord(cs[i]) - 48
                i += 1
            toks.append({"kind": "num", "value": v})
        elif c >= "a" and c <= "z":
            toks.append({"kind": "var", "name": c})
            i += 1
        else:
            toks.append({"kind": c})
            i += 1
    return toks


def peek(p):
    if p["pos"] < len(p["toks"]):
        return p["toks"][p["pos"]]["kind"]
    return "eof"


def parse_expr(p):
    left = parse_term(p)
    k = peek(p)
    while k == "+" or k == "-":
        p["pos"] = p["pos"] + 1
        right = parse_term(p)
        left = {"op": k, "l": left, "r": right}
        k = peek(p)
    return left


def parse_term(p):
    left = parse_factor(p)
    while peek(p) == "*":
        p["pos"] = p["pos"] + 1
        right = parse_factor(p)
        left = {"op": "*", "l": left, "r": right}
    return left


def parse_factor(p):
    tok = p["toks"][p["pos"]]
    p["pos"] = p["pos"] + 1
    if tok["kind"] == "num":
        return {"op": "num", "v": tok["value"]}
    if tok["kind"] == "var":
        return {"op": "var", "name": tok["name"]}
    # An opening parenthesis: the generator never produces anything else here.
    e = parse_expr(p)
    p["pos"] = p["pos"] + 1
    return e


def count_nodes(node):
    if node["op"] == "num" or node["op"] == "var":
        return 1
    return 1 + count_nodes(node["l"]) + count_nodes(node["r"])


def evaluate(node, env):
    op = node["op"]
    if op == "num":
        return node["v"]
    if op == "var":
        return env[node["name"]]
    a = evaluate(node["l"], env)
    b = evaluate(node["r"], env)
    if op == "+":
        return wrap(a + b)
    if op == "-":
        return wrap(a - b)
    return wrap(a * b)


def main():
    box = [2024]
    envs = [{"x": 3, "y": 5, "z": 7}, {"x": 999, "y": 12, "z": 0}, {"x": 40, "y": 41, "z": 42}]
    total = 0
    ntoks = 0
    nnodes = 0
    longest = 0
    count = 0
    while count < 5000:
        src = gen(box, 7)
        if len(src) > longest:
            longest = len(src)
        toks = tokenize(src)
        ntoks += len(toks)
        tree = parse_expr({"toks": toks, "pos": 0})
        nnodes += count_nodes(tree)
        for env in envs:
            total = wrap(total * 7 + evaluate(tree, env))
        count += 1
    print("expressions", count)
    print("tokens", ntoks)
    print("nodes", nnodes)
    print("longest", longest)
    print("result", total)


main()
