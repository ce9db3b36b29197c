import { slugify } from "@example/strings";
import { routes } from "./generated/routes";

type Handler = (url: URL) => Response;

const handlers: Record<(typeof routes)[number]["handler"], Handler> = {
  health: () => Response.json({ status: "ok" }),
  greet: (url) => {
    const name = url.searchParams.get("name") ?? "world";
    return Response.json({ greeting: `hello ${name}`, slug: slugify(name) });
  },
};

/** Routing lives apart from Bun.serve so tests can call it without opening a port. */
export function handle(request: Request): Response {
  const url = new URL(request.url);
  const route = routes.find((r) => r.method === request.method && r.path === url.pathname);
  if (!route) return Response.json({ error: "not found" }, { status: 404 });
  return handlers[route.handler](url);
}
