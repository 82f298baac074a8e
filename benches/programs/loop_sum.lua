-- Sum 0..9,999,999 in a `while` loop inside a function.
local function loop_sum(n)
    local total = 0
    local i = 0
    while i < n do
        total = total + i
        i = i + 1
    end
    return total
end

print(string.format("%d", loop_sum(10000000)))
