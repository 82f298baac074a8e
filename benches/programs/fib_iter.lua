-- Iterative Fibonacci (the `a, b = b, a + b` loop), called 20,000 times.
local function fib_iter(n)
    local a = 0
    local b = 1
    local i = 0
    while i < n do
        a, b = b, a + b
        i = i + 1
    end
    return a
end

local function main()
    local result = 0
    local k = 0
    while k < 20000 do
        result = fib_iter(70)
        k = k + 1
    end
    print(string.format("%d", result))
end

main()
