/**
 * The size budgets of the house style (docs/style.md, "Comments and size") as an ESLint rule:
 * a route handler (a function taking `ctx` alone in a `*.routes.ts` file) at most 15 lines, a React
 * component (a PascalCase function in a `.tsx` file) at most 200, any other function at most 40.
 * A router factory (`create…Router`) is a table of routes, one line each, and is not measured:
 * its handlers are. Blank lines and comment-only lines do not count. The file budget (300 lines) is ESLint's own
 * `max-lines`. Budgets are warnings: a reason to split, not a law.
 */

const DEFAULT_BUDGETS = { handler: 15, component: 200, function: 40 }

/** The name a function is known by: its own, or the variable or property it is assigned to. */
function functionName(node) {
  if (node.id?.name) return node.id.name
  const parent = node.parent
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name
  if ((parent?.type === 'Property' || parent?.type === 'MethodDefinition') && parent.key.type === 'Identifier') return parent.key.name
  return undefined
}

function kindOf(node, filename) {
  const first = node.params[0]
  // a route handler takes ctx alone; (ctx, next) is middleware, measured as any function
  if (/\.routes\.ts$/.test(filename) && node.params.length === 1 && first?.type === 'Identifier' && first.name === 'ctx') return 'handler'
  const name = functionName(node)
  if (/\.tsx$/.test(filename) && name && /^[A-Z]/.test(name)) return 'component'
  return 'function'
}

/** Lines of code in the node: neither blank nor only a comment. */
function codeLines(sourceCode, node) {
  const commentLines = new Set()
  for (const comment of sourceCode.getCommentsInside(node)) {
    for (let line = comment.loc.start.line; line <= comment.loc.end.line; line++) commentLines.add(line)
  }
  let count = 0
  for (let line = node.loc.start.line; line <= node.loc.end.line; line++) {
    const text = sourceCode.lines[line - 1].trim()
    if (text === '') continue
    if (commentLines.has(line) && /^(\/\/|\/\*|\*)/.test(text)) continue
    count++
  }
  return count
}

const functionLength = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Keep functions within the house-style budgets (handler 15, component 200, other 40 lines)' },
    schema: [{ type: 'object', properties: { handler: { type: 'integer' }, component: { type: 'integer' }, function: { type: 'integer' } }, additionalProperties: false }],
    messages: { tooLong: '{{kind}} {{name}}has {{lines}} lines of code (budget {{budget}}): split it.' }
  },
  create(context) {
    const budgets = { ...DEFAULT_BUDGETS, ...(context.options[0] ?? {}) }
    const sourceCode = context.sourceCode
    const check = (node) => {
      if (/^create\w*Router$/.test(functionName(node) ?? '')) return
      const kind = kindOf(node, context.filename)
      const lines = codeLines(sourceCode, node)
      if (lines <= budgets[kind]) return
      const name = functionName(node)
      context.report({ node, loc: node.loc.start, messageId: 'tooLong', data: { kind, name: name ? `${name} ` : '', lines: String(lines), budget: String(budgets[kind]) } })
    }
    return { FunctionDeclaration: check, FunctionExpression: check, ArrowFunctionExpression: check }
  }
}

export const sizeBudgets = { meta: { name: 'house' }, rules: { 'function-length': functionLength } }
