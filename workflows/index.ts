// Every workflow the worker runs; the bundler registers each export of this module.
export {};
