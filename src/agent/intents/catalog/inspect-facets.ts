import { list } from "../answers.ts";

/** What a question about one container's configuration asks for, said several ways. */
export const inspectFacets: Record<string, string> = {
  config: "mounts",
  configuration: "mounts",
  data: "mounts",
  files: "mounts",
  volumes: "mounts",
  volume: "mounts",
  mounts: "mounts",
  port: "ports",
  ports: "ports",
  image: "image",
  version: "image",
  database: "database",
  db: "database",
  "database host": "database",
  "db host": "database",
};

/** Environment keys that configure a database connection. */
const databaseKey = /(^|_)(DB|DATABASE|POSTGRES|MYSQL|MARIADB|REDIS|MONGO)(_|$)/i;

interface Inspected {
  image?: string;
  mounts?: Array<{ source?: string; destination?: string; readOnly?: boolean }>;
  ports?: string[];
  env?: Record<string, string>;
}

/**
 * The part of docker_inspect_container's result a question asked for (mounts, published ports,
 * image and version, database settings), instead of the container's general status.
 */
export function facetAnswer(container: string, facet: string, output: unknown): string {
  const info = (output ?? {}) as Inspected;
  switch (facet) {
    case "mounts": {
      const mounts = (info.mounts ?? []).map(
        (m) => `${m.source} on ${m.destination}${m.readOnly ? " (read-only)" : ""}`,
      );
      return mounts.length ? `${container} mounts ${list(mounts)}.` : `${container} has no mounts.`;
    }
    case "ports":
      return info.ports?.length
        ? `${container} publishes ${list(info.ports)}.`
        : `${container} publishes no ports.`;
    case "image":
      return info.image ? `${container} runs the image ${info.image}.` : `${container}'s image is unknown.`;
    default: {
      const settings = Object.entries(info.env ?? {})
        .filter(([key, value]) => databaseKey.test(key) && !/^\*+$/.test(value))
        .map(([key, value]) => `${key}=${value}`);
      return settings.length
        ? `${container}'s database settings: ${list(settings)}.`
        : `${container} sets no database variables in its environment.`;
    }
  }
}
