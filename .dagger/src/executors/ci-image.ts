import { dag, type Container, type Directory } from "@dagger.io/dagger";
import { versions } from "../catalog/versions.ts";
import { engineVersionOf } from "../config/dagger-json.ts";
import { DaggerSource } from "../source/dagger.ts";

/**
 * The prebuilt CI image: what setup-dagger.sh would otherwise install in every Buildkite step.
 * The pinned bun base; curl and jq from its Debian release (setup-dagger.sh asks only that they
 * be there); kubectl at versions.json's `tools.kubectl` and the dagger CLI at dagger.json's
 * `engineVersion` (the versions setup-dagger.sh checks, so it installs nothing); and the module's
 * dependencies installed once, which fills bun's install cache, so the step's `bun install`
 * links instead of downloading. Versions reach the shell scripts as variables, never as text.
 */

/** Its repository name under the release registry, beside the service image. */
export const CI_IMAGE_NAME = "monorepo-ci";

/** Where the module's manifests are installed in the image (apart from MODULE, the toolbox's). */
export const CI_IMAGE_MODULE = "/opt/monorepo-ci-image";

/** kubectl for the image's own architecture, at $KUBECTL_VERSION. */
const INSTALL_KUBECTL =
  'curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/$(dpkg --print-architecture)/kubectl" && chmod +x /usr/local/bin/kubectl';
/** The dagger CLI at $DAGGER_VERSION into $BIN_DIR, by Dagger's install script. */
const INSTALL_DAGGER = "curl -fsSL https://dl.dagger.io/dagger/install.sh | sh";

export async function daggerCiImage(source: Directory): Promise<Container> {
  const engineVersion = await engineVersionOf(new DaggerSource(source), "ci-image");
  const image = dag
    .container()
    .from(versions.images.bun)
    .withExec(["apt-get", "update"])
    .withExec(["apt-get", "install", "-y", "--no-install-recommends", "ca-certificates", "curl", "jq"])
    .withEnvVariable("KUBECTL_VERSION", versions.tools.kubectl)
    .withExec(["sh", "-c", INSTALL_KUBECTL])
    .withEnvVariable("DAGGER_VERSION", engineVersion.slice(1))
    .withEnvVariable("BIN_DIR", "/usr/local/bin")
    .withExec(["sh", "-c", INSTALL_DAGGER])
    .withDirectory(CI_IMAGE_MODULE, source, { include: [".dagger/package.json", ".dagger/bun.lock"] })
    .withWorkdir(`${CI_IMAGE_MODULE}/.dagger`)
    .withExec(["bun", "install", "--frozen-lockfile", "--ignore-scripts"])
    .withWorkdir("/")
    .withLabel("org.opencontainers.image.title", "monorepo-ci")
    .withLabel("org.opencontainers.image.description", "the CI image of monorepo-ci's Buildkite steps");
  // Built now, so a failed install fails this call with its output, not a later publish.
  return image.sync();
}
