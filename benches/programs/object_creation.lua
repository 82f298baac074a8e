-- Create 300,000 small tables, append them to an array, then sum their "value" fields.
local function main()
    local objs = {}
    local n = 0
    local i = 0
    while i < 300000 do
        n = n + 1
        objs[n] = {id = i, value = i * 2, name = "object"}
        i = i + 1
    end
    local total = 0
    for _, o in ipairs(objs) do
        total = total + o["value"]
    end
    print(string.format("%d", total))
end

main()
