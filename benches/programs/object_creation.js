// Create 300,000 small objects, push them onto an array, then sum their "value" fields.
function main() {
    const objs = [];
    let i = 0;
    while (i < 300000) {
        objs.push({ id: i, value: i * 2, name: "object" });
        i += 1;
    }
    let total = 0;
    for (const o of objs) {
        total += o["value"];
    }
    console.log(total);
}

main();
