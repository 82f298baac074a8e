-- JSON-like data walking: build a nested company document (dicts, arrays, strings,
-- ints, bools), walk it generically by value type, serialize it to JSON text, and
-- run a few aggregate queries over it.
-- Lua has one table type with no key order, so a dict here is {keys = {...}, vals = {...}}
-- (keys in insertion order) and an array is {items = {...}}; the work is otherwise the same.

local MOD = 1000000007
local CITIES = {"oslo", "lima", "pune", "kyiv", "nice"}
local SKILLS = {"rust", "lua", "sql", "ops", "ml", "web", "qa"}

local function next_rand(seed)
    -- Park-Miller minimal standard generator; products stay below 2^53.
    return (seed * 16807) % 2147483647
end

local function new_dict()
    return {keys = {}, vals = {}}
end

local function dset(d, k, v)
    if d.vals[k] == nil then
        d.keys[#d.keys + 1] = k
    end
    d.vals[k] = v
end

local function dget(d, k)
    return d.vals[k]
end

local function new_array()
    return {items = {}}
end

local function apush(a, v)
    a.items[#a.items + 1] = v
end

local function build(box, ndepts, nteams, nmembers)
    local depts = new_array()
    local emp_id = 0
    for d = 0, ndepts - 1 do
        local teams = new_array()
        for t = 0, nteams - 1 do
            local members = new_array()
            for _ = 1, nmembers do
                box[1] = next_rand(box[1])
                local r = box[1]
                local tags = new_array()
                local ntags = 1 + r % 3
                for j = 0, ntags - 1 do
                    apush(tags, SKILLS[math.floor(r / (j + 1)) % 7 + 1])
                end
                local emp = new_dict()
                dset(emp, "id", emp_id)
                dset(emp, "name", "emp" .. tostring(emp_id))
                dset(emp, "salary", 30000 + r % 90000)
                dset(emp, "active", r % 5 ~= 0)
                dset(emp, "tags", tags)
                local address = new_dict()
                dset(address, "city", CITIES[math.floor(r / 7) % 5 + 1])
                dset(address, "zip", r % 100000)
                dset(emp, "address", address)
                apush(members, emp)
                emp_id = emp_id + 1
            end
            local team = new_dict()
            dset(team, "name", "team" .. tostring(d) .. "_" .. tostring(t))
            dset(team, "members", members)
            apush(teams, team)
        end
        local dept = new_dict()
        dset(dept, "name", "dept" .. tostring(d))
        dset(dept, "budget", 1000000 + d * 1000)
        dset(dept, "teams", teams)
        apush(depts, dept)
    end
    local doc = new_dict()
    dset(doc, "company", "acme")
    dset(doc, "founded", 1999)
    dset(doc, "public", false)
    dset(doc, "departments", depts)
    return doc
end

local function kind(v)
    local t = type(v)
    if t == "boolean" then return "bool" end
    if t == "number" then return "int" end
    if t == "string" then return "string" end
    if t == "table" then
        if v.items then return "array" end
        return "dict"
    end
    return "null"
end

local function walk(node, stats)
    local k = kind(node)
    if k == "dict" then
        stats.dicts = stats.dicts + 1
        for _, key in ipairs(node.keys) do
            stats.keys = stats.keys + 1
            walk(node.vals[key], stats)
        end
    elseif k == "array" then
        stats.arrays = stats.arrays + 1
        for _, x in ipairs(node.items) do
            walk(x, stats)
        end
    elseif k == "string" then
        stats.strings = stats.strings + 1
        stats.chars = stats.chars + #node
    elseif k == "int" then
        stats.ints = stats.ints + 1
        stats.int_sum = (stats.int_sum + node) % MOD
    elseif k == "bool" then
        stats.bools = stats.bools + 1
        if node then
            stats.trues = stats.trues + 1
        end
    end
end

local function to_json(node)
    local k = kind(node)
    if k == "dict" then
        local s = "{"
        local first = true
        for _, key in ipairs(node.keys) do
            if not first then
                s = s .. ","
            end
            first = false
            local piece = "\"" .. key .. "\":" .. to_json(node.vals[key])
            s = s .. piece
        end
        return s .. "}"
    end
    if k == "array" then
        local s = "["
        local first = true
        for _, x in ipairs(node.items) do
            if not first then
                s = s .. ","
            end
            first = false
            local piece = to_json(x)
            s = s .. piece
        end
        return s .. "]"
    end
    if k == "string" then
        return "\"" .. node .. "\""
    end
    if k == "int" then
        return string.format("%d", node)
    end
    if k == "bool" then
        if node then
            return "true"
        end
        return "false"
    end
    return "null"
end

local function main()
    local box = {777}
    local doc = build(box, 150, 8, 16)

    local stat_names = {"dicts", "arrays", "strings", "ints", "bools", "trues", "keys", "chars", "int_sum"}
    local stats = {}
    for _, name in ipairs(stat_names) do
        stats[name] = 0
    end
    walk(doc, stats)
    for _, name in ipairs(stat_names) do
        print(string.format("%s %d", name, stats[name]))
    end

    local text = to_json(doc)
    print(string.format("json_length %d", #text))
    local h = 0
    for idx = 1, #text do
        h = (h * 31 + string.byte(text, idx)) % MOD
    end
    print(string.format("json_hash %d", h))

    -- Queries: active headcount and salary per city; the best-paid department.
    local city_count = {}
    local city_total = {}
    for _, c in ipairs(CITIES) do
        city_count[c] = 0
        city_total[c] = 0
    end
    local best_dept = ""
    local best_total = -1
    for _, dept in ipairs(dget(doc, "departments").items) do
        local dept_total = 0
        for _, team in ipairs(dget(dept, "teams").items) do
            for _, emp in ipairs(dget(team, "members").items) do
                if dget(emp, "active") then
                    local city = dget(dget(emp, "address"), "city")
                    local salary = dget(emp, "salary")
                    city_count[city] = city_count[city] + 1
                    city_total[city] = city_total[city] + salary
                    dept_total = dept_total + salary
                end
            end
        end
        if dept_total > best_total then
            best_total = dept_total
            best_dept = dget(dept, "name")
        end
    end
    for _, c in ipairs(CITIES) do
        print(string.format("%s %d %d", c, city_count[c], math.floor(city_total[c] / city_count[c])))
    end
    print(string.format("best %s %d", best_dept, best_total))
end

main()
