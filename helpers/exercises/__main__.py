"""python -m helpers.exercises"""
from helpers.exercises import main

main()
