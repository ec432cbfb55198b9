"""Gherkin feature files as living policy: steps, runner, coverage and handbook."""
