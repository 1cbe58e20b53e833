import { generateTerritory, readSampleTerritory } from './fixtures/generate-territory'
import { parseTerritoryFiles } from './territory-file'
import { checkTerritory } from './territory-checks'
for (const [name, file] of [['sample', readSampleTerritory()], ['gen1000', generateTerritory()]] as const) {
  const t0 = performance.now()
  const p = parseTerritoryFiles([file])
  const s = checkTerritory(p.features)
  console.log(name, p.features.length, p.issues, s.errors.slice(0, 5), s.warnings.slice(0, 5), s.errors.length, s.warnings.length, Math.round(performance.now() - t0), 'ms', JSON.stringify(file).length)
}
