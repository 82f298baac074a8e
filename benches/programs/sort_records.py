# Sort 40,000 records (dicts) with a user-written bottom-up merge sort and a
# three-key comparator function, then check the order and print a checksum.

def next_rand(seed):
    # Park-Miller minimal standard generator; products stay below 2^53.
    return (seed * 16807) % 2147483647


def before(a, b):
    # Age ascending, then score descending, then id ascending.
    if a["age"] != b["age"]:
        return a["age"] < b["age"]
    if a["score"] != b["score"]:
        return a["score"] > b["score"]
    return a["id"] < b["id"]


def merge_sort(items, less):
    n = len(items)
    src = []
    dst = []
    for x in items:
        src.append(x)
        dst.append(x)
    width = 1
    while width < n:
        lo = 0
        while lo < n:
            mid = lo + width
            if mid > n:
                mid = n
            hi = lo + 2 * width
            if hi > n:
                hi = n
            i = lo
            j = mid
            k = lo
            while k < hi:
                if i < mid and (j >= hi or not less(src[j], src[i])):
                    dst[k] = src[i]
                    i += 1
                else:
                    dst[k] = src[j]
                    j += 1
                k += 1
            lo = hi
        tmp = src
        src = dst
        dst = tmp
        width = width * 2
    return src


def main():
    names = ["ada", "bob", "cy", "dee", "eve", "fay", "gus", "hal"]
    records = []
    seed = 4242
    i = 0
    while i < 40000:
        seed = next_rand(seed)
        age = seed % 90
        seed = next_rand(seed)
        score = seed % 1000
        records.append({"id": i, "age": age, "score": score, "name": names[i % 8]})
        i += 1

    ordered = merge_sort(records, before)

    bad = 0
    i = 1
    while i < len(ordered):
        if before(ordered[i], ordered[i - 1]):
            bad += 1
        i += 1

    checksum = 0
    i = 0
    while i < len(ordered):
        checksum = (checksum * 31 + ordered[i]["id"]) % 1000000007
        i += 1

    print("records", len(ordered))
    print("out_of_order", bad)
    print("first", ordered[0]["id"], ordered[0]["age"], ordered[0]["score"], ordered[0]["name"])
    last = ordered[len(ordered) - 1]
    print("last", last["id"], last["age"], last["score"], last["name"])
    print("checksum", checksum)


main()
