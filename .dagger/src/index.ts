/**
 * monorepo-ci: the Tier 0 checks of a Bun/TypeScript monorepo, one Dagger function each, and
 * ci() that runs them all. Every function is a thin wrapper: the plan comes from the same code
 * that `bun run check <key>` runs on the host.
 */
import {
  argument,
  check,
  func,
  object,
  type Container,
  type Directory,
  type File,
  type Secret,
} from "@dagger.io/dagger";
import { daggerBinaries } from "./executors/binaries.ts";
import { daggerCoverage } from "./executors/coverage.ts";
import { daggerCiImage } from "./executors/ci-image.ts";
import {
  daggerCheck,
  daggerCi,
  daggerGithubRelease,
  daggerPublish,
  daggerReview,
  daggerUpdateReadmes,
} from "./executors/dagger-run.ts";
import { SOURCE_IGNORE } from "./source/view.ts";

// The SDK's introspector resolves an imported array constant in a decorator argument, so every
// source argument shares SOURCE_IGNORE. A whole `@argument({...})` object constant does not
// resolve, so that part stays inline.
@object()
export class Monorepo {
  /** Workspace conformance: real scripts, membership, metadata, LICENSE, bun.lock, no key files. */
  @func()
  @check()
  async complianceCheck(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
  ): Promise<string> {
    return daggerCheck("compliance", source);
  }

  /** Suppression ratchet, ESLint, Prettier, ShellCheck, actionlint, secretlint and Trivy. */
  @func()
  @check()
  async qualityChecks(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
  ): Promise<string> {
    return daggerCheck("quality", source);
  }

  /** The mobile workspace: typecheck, lint, format check and tests in parallel. */
  @func()
  @check()
  async mobileCi(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
  ): Promise<string> {
    return daggerCheck("mobile", source);
  }

  /** The birmel service: generate, typecheck/lint/test, build, then a health-endpoint smoke test. */
  @func()
  @check()
  async birmelValidation(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
    gitSha = "unknown",
  ): Promise<string> {
    return daggerCheck("birmel", source, gitSha);
  }

  /** Every other workspace package: typecheck, lint, test and build, all reported. */
  @func()
  @check()
  async packageValidation(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
  ): Promise<string> {
    return daggerCheck("packages", source);
  }

  /** Runs the five checks concurrently, then the workspace build; returns a summary table. */
  @func()
  async ci(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
    gitSha = "unknown",
  ): Promise<string> {
    return daggerCi(source, gitSha);
  }

  /** Reviews a PR diff: lint findings in changed files, suppressions added, and the checks it triggers. */
  @func()
  async codeReview(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
    diff: File,
  ): Promise<string> {
    return daggerReview(source, diff);
  }

  /** Regenerates the catalog-driven sections of README.md and the justfile. */
  @func()
  async updateReadmes(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
  ): Promise<Directory> {
    return daggerUpdateReadmes(source);
  }

  /** The prebuilt CI image: the pinned bun base with curl, jq, kubectl and dagger at the pinned versions, and the module's dependencies installed. */
  @func()
  async ciImage(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
  ): Promise<Container> {
    return daggerCiImage(source);
  }

  /** Builds the service image and the CI image and pushes both, tagged with the commit and the version. */
  @func({ cache: "never" })
  async publish(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
    gitSha: string,
    version: string,
    registry: string,
    registryUsername: Secret,
    registryPassword: Secret,
  ): Promise<string> {
    return daggerPublish(source, {
      gitSha,
      version,
      registry,
      username: registryUsername,
      password: registryPassword,
    });
  }

  /** Every package's test coverage as one lcov file, with paths from the source root. */
  @func()
  async coverage(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
  ): Promise<Directory> {
    return daggerCoverage(source);
  }

  /** The executables monorepo-ci.json declares, for every target, with a SHA256SUMS file. */
  @func()
  async binaries(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
  ): Promise<Directory> {
    return daggerBinaries(source);
  }

  /** Creates or updates the tag's GitHub Release, with its CHANGELOG section as the body and the declared binaries attached. */
  @func({ cache: "never" })
  async githubRelease(
    @argument({ defaultPath: "/", ignore: SOURCE_IGNORE })
    source: Directory,
    tag: string,
    repository: string,
    githubToken: Secret,
  ): Promise<string> {
    return daggerGithubRelease(source, tag, repository, githubToken);
  }
}
