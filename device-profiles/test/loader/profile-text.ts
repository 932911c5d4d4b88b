/** A small valid profile, as YAML text, for loader tests; `extra` is appended verbatim. */
export function profileYaml(id: string, extra = ''): string {
  return `version: 2
id: ${id}
vendor: Test
model: T-1
family: generic
source: Written for the loader tests
points:
  - id: temperature
    name: Temperature
    table: input
    address: 0
    type: int16
    scale: 0.1
    unit: °C
  - id: door_state
    name: Door state
    table: input
    address: 1
    type: uint16
    enum: { '0': closed, '1': open }
${extra}`;
}
