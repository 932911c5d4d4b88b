export function SiteView({ site }: { site: string }) {
  return <h1>{site}</h1>;
}
