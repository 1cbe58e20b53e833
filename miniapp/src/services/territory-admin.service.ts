import type { TerritoryImportReport } from '@palm/shared'
import { apiRequest } from './api-client'
import { saveTextFile } from './file-export'

/** A territory file as the server exports it (the import format, WGS-84). */
export interface TerritoryExportView {
  type: 'FeatureCollection'
  coordinateSystem: string
  features: unknown[]
}

/** Checking ~1,000 grids takes seconds on the server; a slow phone network adds the upload. */
const IMPORT_TIMEOUT_MS = 120_000

/** Territory import and export for the district centre (docs/territory-import.md). */
export const territoryAdminService = {
  /**
   * Sends the parsed file(s) as JSON: one FeatureCollection, or up to three in an array. A dry run
   * answers the validation report and writes nothing; a real import answers the same report with
   * `written`, or rejects with `territory_invalid` when something blocks it.
   */
  importTerritory: (body: unknown, dryRun: boolean) =>
    apiRequest<TerritoryImportReport>({ method: 'POST', path: '/api/admin/territory/import', query: { dryRun }, body, timeoutMs: IMPORT_TIMEOUT_MS }),

  exportTerritory: () => apiRequest<TerritoryExportView>({ path: '/api/admin/territory/export', timeoutMs: IMPORT_TIMEOUT_MS }),

  /**
   * Saves the current territory as a .geojson file: H5 downloads it; WeChat writes it to the app's
   * folder and offers to send it to a chat (to open on a computer). Resolves with the file name.
   */
  async downloadExport(): Promise<string> {
    const file = await territoryAdminService.exportTerritory()
    return saveTextFile(`平城区辖区-${new Date().toISOString().slice(0, 10)}.geojson`, JSON.stringify(file), 'application/geo+json')
  }
}
