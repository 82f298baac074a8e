# Create 300,000 small dicts, push them onto an array, then sum their "value" fields.
def main():
    objs = []
    i = 0
    while i < 300000:
        objs.append({"id": i, "value": i * 2, "name": "object"})
        i += 1
    total = 0
    for o in objs:
        total += o["value"]
    print(total)


main()
