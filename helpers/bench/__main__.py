"""python -m helpers.bench"""
from helpers.bench import main

main()
