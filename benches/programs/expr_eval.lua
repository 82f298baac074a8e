-- A small interpreter: generate random arithmetic expressions as source text, tokenize
-- them, parse them into trees with a recursive-descent parser, and evaluate each tree
-- under several variable environments. All arithmetic is reduced modulo a prime.
-- Arrays are 1-based here; the algorithm is otherwise the same as the other versions.

local M = 1000003
local OPS = {"+", "-", "*"}
local VARS = {"x", "y", "z"}

local function next_rand(seed)
    -- Park-Miller minimal standard generator; products stay below 2^53.
    return (seed * 16807) % 2147483647
end

local function wrap(v)
    local r = v % M
    if r < 0 then
        r = r + M
    end
    return r
end

local function gen(box, depth)
    box[1] = next_rand(box[1])
    local r = box[1]
    if depth == 0 or r % 4 == 0 then
        if r % 5 == 0 then
            return VARS[math.floor(r / 5) % 3 + 1]
        end
        return tostring(r % 1000)
    end
    local op = OPS[math.floor(r / 4) % 3 + 1]
    local sp = ""
    if r % 7 < 3 then
        sp = " "
    end
    local left = gen(box, depth - 1)
    local right = gen(box, depth - 1)
    return "(" .. left .. sp .. op .. sp .. right .. ")"
end

local function tokenize(src)
    local toks = {}
    local cs = {}
    for idx = 1, #src do
        cs[idx] = string.sub(src, idx, idx)
    end
    local n = #cs
    local i = 1
    while i <= n do
        local c = cs[i]
        if c == " " then
            i = i + 1
        elseif c >= "0" and c <= "9" then
            local v = 0
            while i <= n and cs[i] >= "0" and cs[i] <= "9" do
                v = v * 10 + string.byte(cs[i]) - 48
                i = i + 1
            end
            toks[#toks + 1] = {kind = "num", value = v}
        elseif c >= "a" and c <= "z" then
            toks[#toks + 1] = {kind = "var", name = c}
            i = i + 1
        else
            toks[#toks + 1] = {kind = c}
            i = i + 1
        end
    end
    return toks
end

local parse_expr

local function peek(p)
    if p.pos <= #p.toks then
        return p.toks[p.pos].kind
    end
    return "eof"
end

local function parse_factor(p)
    local tok = p.toks[p.pos]
    p.pos = p.pos + 1
    if tok.kind == "num" then
        return {op = "num", v = tok.value}
    end
    if tok.kind == "var" then
        return {op = "var", name = tok.name}
    end
    -- An opening parenthesis: the generator never produces anything else here.
    local e = parse_expr(p)
    p.pos = p.pos + 1
    return e
end

local function parse_term(p)
    local left = parse_factor(p)
    while peek(p) == "*" do
        p.pos = p.pos + 1
        local right = parse_factor(p)
        left = {op = "*", l = left, r = right}
    end
    return left
end

parse_expr = function(p)
    local left = parse_term(p)
    local k = peek(p)
    while k == "+" or k == "-" do
        p.pos = p.pos + 1
        local right = parse_term(p)
        left = {op = k, l = left, r = right}
        k = peek(p)
    end
    return left
end

local function count_nodes(node)
    if node.op == "num" or node.op == "var" then
        return 1
    end
    return 1 + count_nodes(node.l) + count_nodes(node.r)
end

local function evaluate(node, env)
    local op = node.op
    if op == "num" then
        return node.v
    end
    if op == "var" then
        return env[node.name]
    end
    local a = evaluate(node.l, env)
    local b = evaluate(node.r, env)
    if op == "+" then
        return wrap(a + b)
    end
    if op == "-" then
        return wrap(a - b)
    end
    return wrap(a * b)
end

local function main()
    local box = {2024}
    local envs = {{x = 3, y = 5, z = 7}, {x = 999, y = 12, z = 0}, {x = 40, y = 41, z = 42}}
    local total = 0
    local ntoks = 0
    local nnodes = 0
    local longest = 0
    local count = 0
    while count < 5000 do
        local src = gen(box, 7)
        if #src > longest then
            longest = #src
        end
        local toks = tokenize(src)
        ntoks = ntoks + #toks
        local tree = parse_expr({toks = toks, pos = 1})
        nnodes = nnodes + count_nodes(tree)
        for _, env in ipairs(envs) do
            total = wrap(total * 7 + evaluate(tree, env))
        end
        count = count + 1
    end
    print(string.format("expressions %d", count))
    print(string.format("tokens %d", ntoks))
    print(string.format("nodes %d", nnodes))
    print(string.format("longest %d", longest))
    print(string.format("result %d", total))
end

main()
