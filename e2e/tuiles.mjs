// A local tile server for the browser tests (issue 12): the real basemap (IGN Géoplateforme) is on
// the Internet, which these machines cannot reach, so the map is pointed here with MAP_TILES_URL.
// Every /{z}/{x}/{y}.png answers the same 256 × 256 light-grey PNG; /requetes says how many came.
import { createServer } from 'node:http';
import { deflateSync } from 'node:zlib';

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const size = 256;
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(size, 0);
ihdr.writeUInt32BE(size, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 0; // greyscale
const raw = Buffer.alloc((size + 1) * size, 0xd8);
for (let y = 0; y < size; y++) raw[y * (size + 1)] = 0; // filter byte of each row
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);

let requetes = 0;
const port = Number(process.env.TUILES_PORT ?? 3199);
createServer((req, res) => {
  if (req.url === '/requetes') return res.end(String(requetes));
  if (/^\/\d+\/\d+\/\d+\.png$/.test(req.url ?? '')) {
    requetes++;
    res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
    return res.end(png);
  }
  res.writeHead(404).end();
}).listen(port, '127.0.0.1');
