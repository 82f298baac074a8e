# Iterative Fibonacci (the `a, b = b, a + b` loop), called 20,000 times.
def fib_iter(n):
    a = 0
    b = 1
    i = 0
    while i < n:
        a, b = b, a + b
        i += 1
    return a


def main():
    result = 0
    k = 0
    while k < 20000:
        result = fib_iter(70)
        k += 1
    print(result)


main()
