-- Sort 40,000 records (tables) with a user-written bottom-up merge sort and a
-- three-key comparator function, then check the order and print a checksum.
-- Arrays are 1-based here; the algorithm is otherwise the same as the other versions.

local function next_rand(seed)
    -- Park-Miller minimal standard generator; products stay below 2^53.
    return (seed * 16807) % 2147483647
end

local function before(a, b)
    -- Age ascending, then score descending, then id ascending.
    if a["age"] ~= b["age"] then
        return a["age"] < b["age"]
    end
    if a["score"] ~= b["score"] then
        return a["score"] > b["score"]
    end
    return a["id"] < b["id"]
end

local function merge_sort(items, less)
    local n = #items
    local src = {}
    local dst = {}
    for idx, x in ipairs(items) do
        src[idx] = x
        dst[idx] = x
    end
    local width = 1
    while width < n do
        local lo = 0
        while lo < n do
            local mid = lo + width
            if mid > n then
                mid = n
            end
            local hi = lo + 2 * width
            if hi > n then
                hi = n
            end
            local i = lo
            local j = mid
            local k = lo
            while k < hi do
                if i < mid and (j >= hi or not less(src[j + 1], src[i + 1])) then
                    dst[k + 1] = src[i + 1]
                    i = i + 1
                else
                    dst[k + 1] = src[j + 1]
                    j = j + 1
                end
                k = k + 1
            end
            lo = hi
        end
        src, dst = dst, src
        width = width * 2
    end
    return src
end

local function main()
    local names = {"ada", "bob", "cy", "dee", "eve", "fay", "gus", "hal"}
    local records = {}
    local seed = 4242
    local i = 0
    while i < 40000 do
        seed = next_rand(seed)
        local age = seed % 90
        seed = next_rand(seed)
        local score = seed % 1000
        records[#records + 1] = {id = i, age = age, score = score, name = names[i % 8 + 1]}
        i = i + 1
    end

    local ordered = merge_sort(records, before)

    local bad = 0
    for idx = 2, #ordered do
        if before(ordered[idx], ordered[idx - 1]) then
            bad = bad + 1
        end
    end

    local checksum = 0
    for idx = 1, #ordered do
        checksum = (checksum * 31 + ordered[idx]["id"]) % 1000000007
    end

    print(string.format("records %d", #ordered))
    print(string.format("out_of_order %d", bad))
    local first = ordered[1]
    print(string.format("first %d %d %d %s", first["id"], first["age"], first["score"], first["name"]))
    local last = ordered[#ordered]
    print(string.format("last %d %d %d %s", last["id"], last["age"], last["score"], last["name"]))
    print(string.format("checksum %d", checksum))
end

main()
