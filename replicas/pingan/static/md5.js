/* MD5 of a string's UTF-8 bytes, as hex (RFC 1321). Used for _sig and the password hash. */
function md5(text) {
  'use strict';
  var bytes = new TextEncoder().encode(String(text));
  var K = new Int32Array(64);
  for (var i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296) | 0;
  var S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  var n = bytes.length, blocks = ((n + 8) >> 6) + 1, w = new Int32Array(blocks * 16);
  for (i = 0; i < n; i++) w[i >> 2] |= bytes[i] << ((i % 4) * 8);
  w[n >> 2] |= 0x80 << ((n % 4) * 8);
  w[blocks * 16 - 2] = (n * 8) | 0;
  w[blocks * 16 - 1] = Math.floor(n / 536870912);
  var h = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476];
  for (var b = 0; b < w.length; b += 16) {
    var A = h[0], B = h[1], C = h[2], D = h[3];
    for (i = 0; i < 64; i++) {
      var F, g;
      if (i < 16) { F = (B & C) | (~B & D); g = i; }
      else if (i < 32) { F = (D & B) | (~D & C); g = (5 * i + 1) % 16; }
      else if (i < 48) { F = B ^ C ^ D; g = (3 * i + 5) % 16; }
      else { F = C ^ (B | ~D); g = (7 * i) % 16; }
      var s = S[(i >> 4) * 4 + (i % 4)];
      var x = (A + F + K[i] + w[b + g]) | 0;
      A = D; D = C; C = B;
      B = (B + ((x << s) | (x >>> (32 - s)))) | 0;
    }
    h[0] = (h[0] + A) | 0; h[1] = (h[1] + B) | 0; h[2] = (h[2] + C) | 0; h[3] = (h[3] + D) | 0;
  }
  var out = '';
  for (i = 0; i < 16; i++) out += ((h[i >> 2] >>> ((i % 4) * 8)) & 255).toString(16).padStart(2, '0');
  return out;
}
if (typeof module !== 'undefined') module.exports = md5;
