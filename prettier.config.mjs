// Prettier options chosen to match the code as it was written before Prettier came (no semicolons,
// single quotes, no trailing commas, wide lines): `npm run format` then changes as little as possible.
// printWidth 200 was measured as the width that rewrites the fewest lines (140: ~10,000 lines
// changed, 160: ~6,000, 180: ~4,000, 200: ~3,000).
export default {
  semi: false,
  singleQuote: true,
  jsxSingleQuote: true,
  trailingComma: 'none',
  arrowParens: 'always',
  printWidth: 200
}
