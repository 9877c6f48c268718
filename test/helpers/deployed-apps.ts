import type Docker from "dockerode";

/** Removes whatever Jarvis deployed as these apps (containers and volumes by their label), ignoring errors. */
export async function removeDeployedApps(docker: Docker, names: string[]): Promise<void> {
  for (const name of names) {
    const filters = { label: [`jarvis.deploy.app=${name}`] };
    for (const c of await docker.listContainers({ all: true, filters }))
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => {});
    for (const v of (await docker.listVolumes({ filters })).Volumes ?? [])
      await docker
        .getVolume(v.Name)
        .remove()
        .catch(() => {});
  }
}
