export function DeviceView({ gateway, device }: { gateway: string; device: string }) {
  return <h1>{gateway}/{device}</h1>;
}
