# Push 1,000,000 ints onto an array, then sum them with `for x in arr`.
def main():
    arr = []
    i = 0
    while i < 1000000:
        arr.append(i)
        i += 1
    total = 0
    for x in arr:
        total += x
    print(total)


main()
