-- Word frequency: generate 50,000 lines of pseudo-random text, split each line into
-- words, count them in a table, then report the totals and the ten most frequent words.
-- Lua tables have no insertion order, so the keys are also kept in an array.

local SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "po", "qua", "ish"}

local function next_rand(seed)
    -- Park-Miller minimal standard generator; products stay below 2^53.
    return (seed * 16807) % 2147483647
end

local function make_word(r)
    local n = #SYLLABLES
    local word = SYLLABLES[r % n + 1]
    word = word .. SYLLABLES[math.floor(r / n) % n + 1]
    if r % 3 == 0 then
        word = word .. SYLLABLES[math.floor(r / (n * n)) % n + 1]
    end
    return word
end

local function make_line(seed_box, nwords)
    local line = ""
    local k = 0
    while k < nwords do
        seed_box[1] = next_rand(seed_box[1])
        -- Skew towards small ranks so some words are much more common than others.
        local r = seed_box[1] % 5000
        if seed_box[1] % 4 == 0 then
            r = r % 60
        end
        local w = make_word(r)
        if k == 0 then
            line = w
        else
            line = line .. " " .. w
        end
        k = k + 1
    end
    return line
end

local function main()
    local seed_box = {12345}
    local counts = {}
    local order = {}
    local total_words = 0
    local total_chars = 0
    local longest = ""
    local nlines = 50000
    local i = 0
    while i < nlines do
        local line = make_line(seed_box, 8 + i % 9)
        total_chars = total_chars + #line
        for w in string.gmatch(line, "[^ ]+") do
            total_words = total_words + 1
            local c = counts[w]
            if c then
                counts[w] = c + 1
            else
                counts[w] = 1
                order[#order + 1] = w
            end
            if #w > #longest or (#w == #longest and w < longest) then
                longest = w
            end
        end
        i = i + 1
    end

    -- Order-sensitive checksum over the insertion order.
    local checksum = 0
    for pos, w in ipairs(order) do
        checksum = (checksum + counts[w] * pos) % 1000000007
    end

    print(string.format("lines %d", nlines))
    print(string.format("words %d", total_words))
    print(string.format("chars %d", total_chars))
    print(string.format("distinct %d", #order))
    print("longest " .. longest)
    print(string.format("checksum %d", checksum))

    -- Top ten by count (descending), ties broken by the word (ascending).
    local chosen = {}
    for rank = 1, 10 do
        local best = ""
        local best_count = -1
        for _, w in ipairs(order) do
            if not chosen[w] then
                local c = counts[w]
                if c > best_count or (c == best_count and w < best) then
                    best = w
                    best_count = c
                end
            end
        end
        chosen[best] = true
        print(string.format("%d %s %d", rank, best, best_count))
    end
end

main()
