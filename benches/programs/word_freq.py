# Word frequency: generate 50,000 lines of pseudo-random text, split each line into
# words, count them in a dict, then report the totals and the ten most frequent words.

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "po", "qua", "ish"]


def next_rand(seed):
    # Park-Miller minimal standard generator; products stay below 2^53.
    return (seed * 16807) % 2147483647


def make_word(r):
    n = len(SYLLABLES)
    word = SYLLABLES[r % n]
    word = word + SYLLABLES[(r // n) % n]
    if r % 3 == 0:
        word = word + SYLLABLES[(r // (n * n)) % n]
    return word


def make_line(seed_box, nwords):
    line = ""
    k = 0
    while k < nwords:
        seed_box[0] = next_rand(seed_box[0])
        # Skew towards small ranks so some words are much more common than others.
        r = seed_box[0] % 5000
        if seed_box[0] % 4 == 0:
            r = r % 60
        w = make_word(r)
        if k == 0:
            line = w
        else:
            line = line + " " + w
        k += 1
    return line


def main():
    seed_box = [12345]
    counts = {}
    total_words = 0
    total_chars = 0
    longest = ""
    nlines = 50000
    i = 0
    while i < nlines:
        line = make_line(seed_box, 8 + i % 9)
        total_chars += len(line)
        for w in line.split(" "):
            total_words += 1
            if w in counts:
                counts[w] += 1
            else:
                counts[w] = 1
            if len(w) > len(longest) or (len(w) == len(longest) and w < longest):
                longest = w
        i += 1

    # Order-sensitive checksum over the dict's insertion order.
    checksum = 0
    pos = 1
    for w in counts:
        checksum = (checksum + counts[w] * pos) % 1000000007
        pos += 1

    print("lines", nlines)
    print("words", total_words)
    print("chars", total_chars)
    print("distinct", len(counts))
    print("longest", longest)
    print("checksum", checksum)

    # Top ten by count (descending), ties broken by the word (ascending).
    chosen = {}
    rank = 1
    while rank <= 10:
        best = ""
        best_count = -1
        for w in counts:
            if w not in chosen:
                c = counts[w]
                if c > best_count or (c == best_count and w < best):
                    best = w
                    best_count = c
        chosen[best] = True
        print(rank, best, best_count)
        rank += 1


main()
