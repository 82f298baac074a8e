# Build a 200,000-character string with repeated `s = s + "x"`; must not be quadratic.
def main():
    s = ""
    i = 0
    while i < 200000:
        s = s + "x"
        i += 1
    print(len(s))


main()
