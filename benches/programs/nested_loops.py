# 3000 x 3000 nested `while` loops counting iterations.
def nested(n):
    count = 0
    i = 0
    while i < n:
        j = 0
        while j < n:
            count += 1
            j += 1
        i += 1
    return count


print(nested(3000))
