// Package e2e tests the whole pipeline (corpus → index → search) on the
// bundled reports. It has no code of its own, only tests.
package e2e
