# Fill a dict with 200,000 int keys (m[i] = i * 2), then sum m[i] over the same keys.
def main():
    m = {}
    i = 0
    while i < 200000:
        m[i] = i * 2
        i += 1
    total = 0
    i = 0
    while i < 200000:
        total += m[i]
        i += 1
    print(total)


main()
