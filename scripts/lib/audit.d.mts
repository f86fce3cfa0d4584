export interface Advisory {
  id: number | string;
  ghsa?: string;
  paquet: string;
  severity: string;
  title: string;
  url?: string;
}
export interface AllowEntry {
  id: number | string;
  paquet?: string;
  raison: string;
  date: string;
}
export function checkAllowList(list: unknown): string[];
export function readReport(text: string): { unavailable: string; advisories?: undefined } | { advisories: Advisory[]; unavailable?: undefined };
export function decide(advisories: Advisory[], allowList: AllowEntry[]): { blocking: Advisory[]; stale: AllowEntry[] };
