// TLSScenario
