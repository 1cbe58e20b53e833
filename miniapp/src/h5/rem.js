// Sets the root font size the H5 build's rem units are based on (40px per 750 design px, clamped to
// 20–40px). Taro inlines the same code by default; it is a separate file here because the server's
// Content-Security-Policy (script-src 'self') refuses inline scripts.
!(function (n) {
  function f() {
    var e = n.document.documentElement
    var r = e.getBoundingClientRect()
    var w = Math.min.apply(Math, [r.width, r.height].filter(Boolean))
    var x = (40 * w) / 750
    e.style.fontSize = x >= 40 ? '40px' : x <= 20 ? '20px' : x + 'px'
  }
  n.addEventListener('resize', function () {
    f()
    setTimeout(f, 500)
  })
  f()
})(window)
