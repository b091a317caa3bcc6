import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
const q = async (s) => { try { const r = await c.runAndReadAll(s); console.log(r.getRowObjectsJson()); } catch (e) { console.log('ERR', e.message.slice(0,300)); } };
await q(`select row_number() over () rn, * from read_csv('/tmp/t.csv', delim=';', quote='"', escape='"', header=false, skip=4, all_varchar=true, null_padding=true, columns={'c0':'VARCHAR','c1':'VARCHAR','c2':'VARCHAR'})`);
await q(`select row_number() over () rn, * from read_csv('/tmp/t.csv', delim=';', quote='"', escape='"', header=false, skip=4, all_varchar=true, strict_mode=false, columns={'c0':'VARCHAR','c1':'VARCHAR','c2':'VARCHAR'})`);
await q(`select count(*) from read_csv('/tmp/t.csv', delim='\x01', quote='', escape='', header=false, all_varchar=true, columns={'line':'VARCHAR'})`);
