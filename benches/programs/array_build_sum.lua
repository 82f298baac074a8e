-- Push 1,000,000 ints onto an array, then sum them with `for x in arr`.
local function main()
    local arr = {}
    local n = 0
    local i = 0
    while i < 1000000 do
        n = n + 1
        arr[n] = i
        i = i + 1
    end
    local total = 0
    for _, x in ipairs(arr) do
        total = total + x
    end
    print(string.format("%d", total))
end

main()
