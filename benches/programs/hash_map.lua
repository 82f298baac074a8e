-- Fill a dict with 200,000 int keys (m[i] = i * 2), then sum m[i] over the same keys.
local function main()
    local m = {}
    local i = 0
    while i < 200000 do
        m[i] = i * 2
        i = i + 1
    end
    local total = 0
    i = 0
    while i < 200000 do
        total = total + m[i]
        i = i + 1
    end
    print(string.format("%d", total))
end

main()
