# Sum 0..9,999,999 in a `while` loop inside a function.
def loop_sum(n):
    total = 0
    i = 0
    while i < n:
        total += i
        i += 1
    return total


print(loop_sum(10000000))
