-- 3000 x 3000 nested `while` loops counting iterations.
local function nested(n)
    local count = 0
    local i = 0
    while i < n do
        local j = 0
        while j < n do
            count = count + 1
            j = j + 1
        end
        i = i + 1
    end
    return count
end

print(string.format("%d", nested(3000)))
