-- Build a 200,000-character string with repeated `s = s .. "x"`.
-- Lua strings are immutable and interned, so this idiom copies (quadratic); that is the point.
local function main()
    local s = ""
    local i = 0
    while i < 200000 do
        s = s .. "x"
        i = i + 1
    end
    print(string.format("%d", #s))
end

main()
